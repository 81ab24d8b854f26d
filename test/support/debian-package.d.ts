export function ensureDebianPackage(name: string, present: () => boolean, need: string): void;
