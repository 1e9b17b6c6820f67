// A task that fails while nobody awaits it; another whose failure main handles.
import { createTask, run, sleep } from 'async-trace/runtime';
async function price(order: number): Promise<number> {
  await sleep(5);
  throw new Error(`pricing API rejected order ${order}`);
}
async function main(): Promise<void> {
  createTask(() => price(13), { name: 'worker-5' });
  const handled = createTask(() => price(14), { name: 'worker-6' });
  try {
    await handled;
  } catch (e) {
    console.log('handled:', (e as Error).message);
  }
  await sleep(30);
}
run(main);
