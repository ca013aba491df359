import { PassThrough } from 'node:stream';
import { GatedMessage } from './gated-message';

function collect(stream: GatedMessage): { chunks: string[]; ended: Promise<void> } {
  const sink = new PassThrough();
  const chunks: string[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const ended = new Promise<void>((resolve, reject) => {
    sink.on('end', () => resolve());
    stream.on('error', reject);
  });
  stream.pipe(sink);
  return { chunks, ended };
}

describe('GatedMessage', () => {
  it('hands out the body, then ends right after a gate that returns nothing', async () => {
    const order: string[] = [];
    const message = new GatedMessage(Buffer.from('body'), () => {
      order.push(`gate (handed over: ${message.handedOver})`);
    });
    const { chunks, ended } = collect(message);
    await ended;
    expect(chunks).toEqual(['body']);
    expect(order).toEqual(['gate (handed over: false)']);
    expect(message.handedOver).toBe(true);
  });

  it('waits for a gate that returns a promise', async () => {
    let open!: () => void;
    const message = new GatedMessage(
      Buffer.from('body'),
      () => new Promise<void>((resolve) => (open = resolve)),
    );
    const { ended } = collect(message);
    await new Promise((r) => setImmediate(r));
    expect(message.gateStarted).toBe(true);
    expect(message.handedOver).toBe(false);
    open();
    await ended;
    expect(message.handedOver).toBe(true);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('claim lost');
      },
    ],
    ['rejects', () => Promise.reject(new Error('claim lost'))],
  ])('never ends when the gate %s: the stream errors instead', async (_how, gate) => {
    const message = new GatedMessage(Buffer.from('body'), gate);
    const { ended } = collect(message);
    await expect(ended).rejects.toThrow('claim lost');
    expect(message.handedOver).toBe(false);
  });

  it('never ends once abandoned, even if the gate passes afterwards', async () => {
    let open!: () => void;
    const message = new GatedMessage(
      Buffer.from('body'),
      () => new Promise<void>((resolve) => (open = resolve)),
    );
    let ended = false;
    const sink = new PassThrough();
    sink.on('end', () => (ended = true));
    sink.resume();
    message.pipe(sink);
    await new Promise((r) => setImmediate(r));
    const abandoned = message.abandon();
    open();
    await abandoned;
    await new Promise((r) => setImmediate(r));
    expect(ended).toBe(false);
    expect(message.handedOver).toBe(false);
  });
});
