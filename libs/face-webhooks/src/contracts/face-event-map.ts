import type { FaceEvent } from './face-event.interface.js';

/**
 * Event type -> payload type, for every event a provider knows: it is what types a handler's
 * parameter from the string in its `@OnFaceEvent()`. Each built-in provider adds its entries by
 * declaration merging, and a provider of your own (`defineFaceWebhookProvider`) adds its events the
 * same way.
 *
 * @example
 * ```ts
 * import 'nestjs-face-webhooks';
 *
 * export class AcmeCheckDto {
 *   id!: string;
 *   userId!: string;
 * }
 *
 * declare module 'nestjs-face-webhooks' {
 *   interface FaceEventMap {
 *     'acme.check.passed': AcmeCheckDto;
 *     'acme.check.failed': AcmeCheckDto;
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FaceEventMap {}

/** Every event type the library knows, e.g. `'faceio.ENROLL'`. */
export type FaceEventType = Extract<keyof FaceEventMap, string>;

type Segments<S extends string> = S extends `${infer Head}.${infer Rest}` ? [Head, ...Segments<Rest>] : [S];

/** Type-level mirror of the runtime matcher: `*` is one segment, a trailing `**` is one or more. */
type SegmentsMatch<T extends string[], P extends string[]> = P extends ['**']
  ? T extends []
    ? false
    : true
  : P extends [infer PH extends string, ...infer PT extends string[]]
    ? T extends [infer TH extends string, ...infer TT extends string[]]
      ? PH extends '*'
        ? SegmentsMatch<TT, PT>
        : PH extends TH
          ? SegmentsMatch<TT, PT>
          : false
      : false
    : T extends []
      ? true
      : false;

/** The known event types a pattern matches: `FaceEventTypesMatching<'faceio.*'>`. */
export type FaceEventTypesMatching<P extends string> = {
  [K in FaceEventType]: SegmentsMatch<Segments<K>, Segments<P>> extends true ? K : never;
}[FaceEventType];

/**
 * The envelope a handler for `P` receives: an exact type, a segment wildcard (`'facesign.media.*'`),
 * a provider's catch-all (`'idaas.**'`) or the catch-all `'**'`. For a pattern that matches
 * several types it is their union, so `event.type` narrows `event.data`.
 *
 * Types a provider sends that the library does not know yet (a new FACEIO `eventName`) reach
 * wildcard handlers only, with the provider's generic DTO as `data`.
 *
 * @example
 * ```ts
 * import { Injectable } from '@nestjs/common';
 * import { OnFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';
 *
 * @Injectable()
 * export class FaceSignMediaHandler {
 *   @OnFaceEvent('facesign.media.*')
 *   onMedia(event: FaceEventOf<'facesign.media.*'>): void {
 *     console.log(event.type, event.data.media.url); // every media event carries `media`
 *   }
 * }
 * ```
 */
export type FaceEventOf<P extends string> = {
  [K in FaceEventTypesMatching<P>]: FaceEvent<K, FaceEventMap[K]>;
}[FaceEventTypesMatching<P>];

/** Any event at all, known or not: what a `'**'` handler can be typed with when it does not narrow. */
export type AnyFaceEvent = FaceEventOf<'**'> | FaceEvent<string, unknown>;

type UnmatchedPatterns<P extends string> = P extends string
  ? [FaceEventTypesMatching<P>] extends [never]
    ? P
    : never
  : never;

/** Makes a pattern that matches no known event type a compile error that names the pattern. */
export type CheckedFacePatterns<P extends string> = [UnmatchedPatterns<P>] extends [never]
  ? unknown
  : { 'no known face event matches this pattern': UnmatchedPatterns<P> };
