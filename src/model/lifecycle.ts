// The object state model: six states and the ten transitions of KMIP 1.4 §3.22 / 2.1 §4.57, as a table.
// Any transition not listed is refused: Wrong Key Lifecycle State (Permission Denied in 1.x, via result-reason).
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';

export const State = {
  PreActive: Enum.State.PreActive,
  Active: Enum.State.Active,
  Deactivated: Enum.State.Deactivated,
  Compromised: Enum.State.Compromised,
  Destroyed: Enum.State.Destroyed,
  DestroyedCompromised: Enum.State.DestroyedCompromised,
} as const;

/** What moves an object between states. */
export type LifecycleEvent =
  | 'activate' // Activate, Activation Date reached or set to the past
  | 'deactivate' // Revoke with a reason other than compromise, Deactivation Date reached or set to the past
  | 'compromise' // Revoke with Revocation Reason Key Compromise or CA Compromise
  | 'destroy'; // Destroy

/** [from, event, to, spec transition number]. Transition 1 (creation) is `initialState`. */
export const TRANSITIONS: readonly (readonly [number, LifecycleEvent, number, number])[] = [
  [State.PreActive, 'destroy', State.Destroyed, 2],
  [State.PreActive, 'compromise', State.Compromised, 3],
  [State.PreActive, 'activate', State.Active, 4],
  [State.Active, 'compromise', State.Compromised, 5],
  [State.Active, 'deactivate', State.Deactivated, 6],
  [State.Deactivated, 'destroy', State.Destroyed, 7],
  [State.Deactivated, 'compromise', State.Compromised, 8],
  [State.Compromised, 'destroy', State.DestroyedCompromised, 9],
  [State.Destroyed, 'compromise', State.DestroyedCompromised, 10],
];

const NEXT = new Map(TRANSITIONS.map(([from, event, to]) => [`${from}:${event}`, to]));
const STATE_NAMES = new Map(Object.entries(State).map(([k, v]) => [v as number, k]));

/** Transition 1: created Pre-Active, or straight to Active when its Activation Date has already come. */
export function initialState(activationDate: bigint | undefined, nowSeconds: bigint): number {
  return activationDate !== undefined && activationDate <= nowSeconds ? State.Active : State.PreActive;
}

/** The state after `event`, or undefined when the table has no such transition. */
export function nextState(from: number, event: LifecycleEvent): number | undefined {
  return NEXT.get(`${from}:${event}`);
}

/** The state after `event`; throws Wrong Key Lifecycle State when the transition is not allowed. */
export function transition(from: number, event: LifecycleEvent): number {
  const to = nextState(from, event);
  if (to === undefined) {
    throw new KmipError('WrongKeyLifecycleState', `cannot ${event} an object in state ${stateName(from)}`);
  }
  return to;
}

export function stateName(state: number): string {
  return STATE_NAMES.get(state) ?? `0x${state.toString(16)}`;
}

export function isDestroyed(state: number): boolean {
  return state === State.Destroyed || state === State.DestroyedCompromised;
}
