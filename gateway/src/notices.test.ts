import { silentLogger } from '@regiograph/shared';
import { keepListening, type ChannelListener, type KeptListener } from './notices';

/**
 * A stand-in for listenOnChannel: each attempt is one entry, ended by the test (connected, refused),
 * and a connected one can be cut (its onLost) as a dropped database connection would.
 */
function fakeChannel() {
  const attempts: {
    connect(): void;
    refuse(error: Error): void;
    cut(error: Error): void;
    closed: boolean;
  }[] = [];
  const listen = (onLost: (error: Error) => void) =>
    new Promise<ChannelListener>((resolve, reject) => {
      const attempt = {
        closed: false,
        connect: () =>
          resolve({
            close: async () => {
              attempt.closed = true;
            },
          }),
        refuse: reject,
        cut: onLost,
      };
      attempts.push(attempt);
    });
  return { attempts, listen };
}

function keep(channel: ReturnType<typeof fakeChannel>, events: string[]): KeptListener {
  return keepListening({
    name: 'test listener',
    listen: channel.listen,
    onLost: (error) => events.push(`lost: ${error.message}`),
    onListening: (afterGap) => events.push(afterGap ? 'listening after a gap' : 'listening'),
    logger: silentLogger,
    reconnectDelayMs: 1000,
  });
}

/** A kept listener whose first attempt connected. */
async function listening() {
  const channel = fakeChannel();
  const events: string[] = [];
  const kept = keep(channel, events);
  const started = kept.start();
  channel.attempts[0]!.connect();
  await started;
  return { channel, events, kept };
}

describe('keepListening, the one listen-and-reconnect loop', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('listens, and after a lost connection reports the loss, waits the delay and listens again, reporting the gap', async () => {
    const { channel, events, kept } = await listening();
    expect(kept.listening).toBe(true);

    channel.attempts[0]!.cut(new Error('terminated'));
    expect(kept.listening).toBe(false);
    await jest.advanceTimersByTimeAsync(999);
    expect(channel.attempts).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(channel.attempts).toHaveLength(2);
    channel.attempts[1]!.connect();
    await jest.advanceTimersByTimeAsync(0);
    expect(kept.listening).toBe(true);
    expect(events).toEqual(['listening', 'lost: terminated', 'listening after a gap']);
    await kept.close();
    expect(channel.attempts.map((attempt) => attempt.closed)).toEqual([false, true]);
  });

  it('retries a refused first attempt in the background, and counts it as a gap', async () => {
    const channel = fakeChannel();
    const events: string[] = [];
    const kept = keep(channel, events);
    const started = kept.start();
    channel.attempts[0]!.refuse(new Error('connection refused'));
    await started;
    expect(kept.listening).toBe(false);
    await jest.advanceTimersByTimeAsync(1000);
    channel.attempts[1]!.refuse(new Error('connection refused'));
    await jest.advanceTimersByTimeAsync(1000);
    channel.attempts[2]!.connect();
    await jest.advanceTimersByTimeAsync(0);
    expect(kept.listening).toBe(true);
    expect(events).toEqual(['listening after a gap']);
    await kept.close();
  });

  it('closes a connection that comes after close(), and tries no more', async () => {
    const channel = fakeChannel();
    const events: string[] = [];
    const kept = keep(channel, events);
    const started = kept.start();
    const closing = kept.close();
    channel.attempts[0]!.connect();
    await started;
    await closing;
    expect(kept.listening).toBe(false);
    expect(channel.attempts[0]!.closed).toBe(true);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(channel.attempts).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('cancels a scheduled attempt on close(), hears no loss after it, and closes once', async () => {
    const { channel, events, kept } = await listening();
    channel.attempts[0]!.cut(new Error('terminated'));
    await Promise.all([kept.close(), kept.close()]);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(channel.attempts).toHaveLength(1);
    channel.attempts[0]!.cut(new Error('after close'));
    expect(events).toEqual(['listening', 'lost: terminated']);
  });
});
