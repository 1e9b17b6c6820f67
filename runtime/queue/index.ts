// Queues for producer/consumer tasks: Queue (FIFO), PriorityQueue (smallest first), LifoQueue.
export { Queue, type QueueOptions } from './queue';
export { PriorityQueue, defaultCompare, type Comparator, type PriorityQueueOptions } from './priority-queue';
export { LifoQueue } from './lifo-queue';
