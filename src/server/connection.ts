// One client connection: frames TTLV requests from the TLS stream and answers them one at a time, in order (KMIP 1.4 §9.1, §10).
import type { TLSSocket } from 'node:tls';
import { TtlvFramer, TtlvFramingError } from '../ttlv/framing.js';
import { TtlvError } from '../ttlv/ttlv-error.js';
import { noteRead, readMark, shouldHold, untilTurnEnd } from './turn-batch.js';
import type { ConnectionContext, KmipHandler } from './kmip-handler.js';
import type { KmipServerOptions } from './server-options.js';

export type ConnectionLimits = Pick<
  KmipServerOptions,
  'maxMessageBytes' | 'idleTimeoutMs' | 'messageReadTimeoutMs' | 'maxPipelinedRequests'
>;

/** TTLV header: Tag (3) + Type (1) + Length (4); the Length field starts at offset 4. */
const HEADER_BYTES = 8;
const LENGTH_FIELD_OFFSET = 4;
/**
 * After we end our side, how long we wait for the client to close its own. Closing at once while the
 * client still sends would answer with a TCP reset, which can destroy our last response in flight.
 */
const CLOSE_LINGER_MS = 5_000;

/**
 * The per-connection loop. Requests are answered strictly in order (KMIP has no request IDs on the wire
 * to match pipelined answers with), one at a time; reading pauses when `maxPipelinedRequests` wait, and
 * a response the client does not read holds up only this connection.
 */
export class KmipConnection {
  private readonly framer: TtlvFramer;
  private readonly queue: Buffer[] = [];
  private processing = false;
  private paused = false;
  /** Input is discarded from now on (framing fault, read timeout, shutdown, end of stream). */
  private discarding = false;
  /** Set: once the queue is answered, end the connection for this reason. */
  private endAfterQueue: string | undefined;
  /** A framing fault to answer (after the queue) before closing. */
  private fault: { error: TtlvError; header: Buffer } | undefined;
  private ending = false;
  private reason: string | undefined;
  /** Stream bytes before the current chunk, and the last few of them, to find a header that spans chunks. */
  private streamOffset = 0;
  private readonly tail = Buffer.alloc(HEADER_BYTES);
  private tailLength = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** When the connection last fell quiet (performance.now()); undefined while a request is read or answered. */
  private idleSince: number | undefined;
  private readTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  /** Resolves with the close reason once the socket is closed. */
  readonly closed: Promise<string>;

  constructor(
    private readonly socket: TLSSocket,
    readonly context: ConnectionContext,
    private readonly handler: KmipHandler,
    private readonly limits: ConnectionLimits,
  ) {
    this.framer = new TtlvFramer(limits.maxMessageBytes);
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.clearTimers();
        resolve(this.reason ?? 'closed');
      });
    });
    socket.setNoDelay(true); // one small response per request: Nagle would only add latency
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Some TLS errors (a refused renegotiation) are emitted without closing the socket: close it.
      this.destroy(`socket error: ${error.code ?? error.message}`);
    });
    this.armIdle();
  }

  /** True while a request is being answered or waits to be. */
  get busy(): boolean {
    return this.processing || this.queue.length > 0;
  }

  /** Graceful stop: answer the requests already received whole, then close. */
  shutdown(): void {
    this.stopReading('server shutdown');
    this.maybeFinish();
  }

  /** Immediate stop, for when graceful shutdown has run out of time. */
  destroy(reason: string): void {
    this.reason ??= reason;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    noteRead();
    if (this.discarding) return;
    this.clearIdle();
    let messages: Buffer[];
    try {
      messages = this.framer.push(chunk);
    } catch (error) {
      if (!(error instanceof TtlvError)) throw error;
      // Requests cut before the bad header, in this chunk or earlier ones, are answered first.
      if (error instanceof TtlvFramingError) this.queue.push(...error.messages);
      this.fault = { error, header: this.headerAt(error.offset - LENGTH_FIELD_OFFSET, chunk) };
      this.stopReading(`framing error: ${error.reason}`);
      void this.pump(); // the queued requests, then the framing fault's answer
      return;
    } finally {
      this.advance(chunk);
    }
    this.queue.push(...messages);
    // The read deadline runs from the start of the message now partly held, not from an earlier one.
    if (messages.length > 0) this.clearRead();
    if (this.queue.length >= this.limits.maxPipelinedRequests && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    this.updateReadTimer();
    void this.pump();
  }

  private onEnd(): void {
    if (this.discarding) {
      // Our own ending, or input we were already ignoring: nothing more to learn.
    } else if (this.framer.buffered > 0) {
      this.stopReading(`truncated message: client closed with ${this.framer.buffered} bytes of a request`);
    } else {
      this.stopReading('client closed');
    }
    this.maybeFinish();
  }

  private stopReading(reason: string): void {
    this.endAfterQueue ??= reason;
    this.discarding = true;
    this.clearRead();
    this.clearIdle();
    // Keep the stream flowing (and discarded) so that the client's close is seen; the linger timer bounds it.
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Answers queued requests one by one; only one pump runs per connection. */
  private async pump(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0 && !this.socket.destroyed) {
        const message = this.queue.shift()!;
        if (this.paused && this.queue.length < this.limits.maxPipelinedRequests) {
          this.paused = false;
          this.socket.resume();
          this.updateReadTimer();
        }
        let response: Buffer;
        const mark = readMark();
        try {
          response = await this.handler.handle(message, this.context);
        } catch (error) {
          // The handler promises never to reject; if it does, no KMIP answer exists to send.
          this.destroy(`handler failed: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        if (shouldHold(mark)) await untilTurnEnd();
        if (!(await this.write(response))) return;
      }
      if (this.fault && !this.socket.destroyed) {
        const { error, header } = this.fault;
        this.fault = undefined;
        let response: Buffer;
        try {
          response = this.handler.framingError(error, header, this.context);
        } catch (failure) {
          this.destroy(`handler failed: ${failure instanceof Error ? failure.message : String(failure)}`);
          return;
        }
        await this.write(response);
      }
    } finally {
      this.processing = false;
    }
    this.maybeFinish();
  }

  /** Writes one response; when the socket buffer is full, waits for the client to read (bounded by the idle time). */
  private write(response: Buffer): Promise<boolean> {
    if (this.socket.destroyed) return Promise.resolve(false);
    if (this.socket.write(response)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(this.stallTimer);
        this.stallTimer = undefined;
        this.socket.off('drain', onDrain);
        this.socket.off('close', onClose);
        resolve(ok);
      };
      const onDrain = (): void => done(true);
      const onClose = (): void => done(false);
      this.socket.on('drain', onDrain);
      this.socket.on('close', onClose);
      this.stallTimer = setTimeout(() => {
        this.destroy(`client read no response for ${this.limits.idleTimeoutMs} ms`);
      }, this.limits.idleTimeoutMs);
    });
  }

  private maybeFinish(): void {
    if (this.processing || this.queue.length > 0 || this.socket.destroyed) return;
    if (this.fault) {
      void this.pump(); // the framing fault's answer is still owed
      return;
    }
    if (this.endAfterQueue !== undefined) {
      this.finish(this.endAfterQueue);
      return;
    }
    if (this.framer.buffered === 0) this.armIdle();
  }

  /** Ends our side once written out, and drops the socket if the client does not close its own in time. */
  private finish(reason: string): void {
    if (this.ending) return;
    this.ending = true;
    this.reason ??= reason;
    this.discarding = true;
    this.clearIdle();
    this.clearRead();
    this.socket.end();
    this.lingerTimer = setTimeout(() => this.socket.destroy(), CLOSE_LINGER_MS);
  }

  /** The TTLV header that starts at stream offset `start`, from the last chunk and the bytes before it. */
  private headerAt(start: number, chunk: Buffer): Buffer {
    const tail = this.tail.subarray(0, this.tailLength);
    const seen = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
    const from = start - (this.streamOffset - tail.length);
    if (from < 0 || from >= seen.length) return Buffer.alloc(0);
    return Buffer.from(seen.subarray(from, from + HEADER_BYTES));
  }

  /** Keeps the stream's last HEADER_BYTES in place: every chunk passes here, so nothing is allocated. */
  private advance(chunk: Buffer): void {
    this.streamOffset += chunk.length;
    if (chunk.length >= HEADER_BYTES) {
      chunk.copy(this.tail, 0, chunk.length - HEADER_BYTES);
      this.tailLength = HEADER_BYTES;
      return;
    }
    const keep = Math.min(this.tailLength, HEADER_BYTES - chunk.length);
    this.tail.copy(this.tail, 0, this.tailLength - keep, this.tailLength);
    chunk.copy(this.tail, keep);
    this.tailLength = keep + chunk.length;
  }

  /**
   * Starts the idle time. The timer is not moved per request (clearing and setting it on every request showed as
   * ~1.5 % of the event loop in profiles): it stays armed, and when it fires early (the connection was busy
   * meanwhile) it is set again for what is left of the idle time.
   */
  private armIdle(): void {
    if (this.ending || this.discarding) return;
    this.idleSince = performance.now();
    if (this.idleTimer === undefined) this.setIdleTimer(this.limits.idleTimeoutMs);
  }

  private setIdleTimer(ms: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.idleSince === undefined) return; // busy: armIdle sets it again when the connection falls quiet
      const left = this.idleSince + this.limits.idleTimeoutMs - performance.now();
      if (left <= 0) this.finish('idle timeout');
      else this.setIdleTimer(left);
    }, ms);
  }

  private updateReadTimer(): void {
    if (this.framer.buffered === 0 || this.paused || this.discarding) {
      this.clearRead();
    } else if (this.readTimer === undefined) {
      this.readTimer = setTimeout(() => {
        this.readTimer = undefined;
        this.stopReading(`request not received whole within ${this.limits.messageReadTimeoutMs} ms`);
        this.maybeFinish();
      }, this.limits.messageReadTimeoutMs);
    }
  }

  /** Stops the idle time; the timer, if armed, finds the connection busy and lets itself lapse. */
  private clearIdle(): void {
    this.idleSince = undefined;
  }

  private clearRead(): void {
    clearTimeout(this.readTimer);
    this.readTimer = undefined;
  }

  private clearTimers(): void {
    this.clearIdle();
    clearTimeout(this.idleTimer);
    this.clearRead();
    clearTimeout(this.stallTimer);
    clearTimeout(this.lingerTimer);
  }
}
