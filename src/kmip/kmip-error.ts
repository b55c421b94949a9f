// The error an operation or the message layer throws: a KMIP Result Reason and a message for the client (1.4 §9.1.3.2.29; 2.1 §11.46).
import type { ENUMERATIONS } from './enumerations.js';

type ResultReasonEnum = Extract<(typeof ENUMERATIONS)[number], { name: 'ResultReason' }>;
/** Every Result Reason name of every version; protocol/result-reason.ts maps it to what a version can carry. */
export type ResultReasonName = ResultReasonEnum['values'][number]['name'];

export class KmipError extends Error {
  override readonly name = 'KmipError';
  constructor(
    readonly reason: ResultReasonName,
    message: string,
  ) {
    super(message);
  }
}
