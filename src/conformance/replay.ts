// The state of one test-case file being replayed: bindings, the request clock and what the exchange has shown, so
// that each step's request can be built and its response judged (KMIP Profiles §3, §4.7). No I/O.
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { judgeResponse, type Judgement } from './compare.js';
import { FileFacts } from './facts.js';
import { Bindings, instantiate, RequestClock } from './placeholders.js';
import type { TestCase, TestStep } from './test-case.js';

export interface ReplayOptions {
  /** Seconds since the epoch for `$NOW` in requests; the system clock by default. */
  readonly nowSeconds?: () => bigint;
  /** Query's Operation / Object Type lists must hold every item of the test case. */
  readonly strictQueryLists?: boolean;
}

export class Replay {
  readonly facts: FileFacts;
  readonly bindings = new Bindings();
  private readonly clock: RequestClock;

  constructor(
    readonly testCase: TestCase,
    private readonly options: ReplayOptions = {},
  ) {
    this.facts = FileFacts.of(testCase);
    this.clock = new RequestClock(options.nowSeconds);
  }

  /** The request to send for `step`. Throws UnboundPlaceholderError when it needs a value no response gave. */
  request(step: TestStep): TtlvItem {
    return instantiate(step.request, this.bindings, this.clock);
  }

  /** Judges the server's response to `request`; a passing response's new bindings are kept. */
  judge(step: TestStep, request: TtlvItem, response: TtlvItem): Judgement {
    this.facts.recordStep(request, response);
    return judgeResponse({
      expected: step.expected,
      actual: response,
      request,
      bindings: this.bindings,
      facts: this.facts,
      strictQueryLists: this.options.strictQueryLists === true,
    });
  }
}
