// The synchronisation primitives: Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier.
export { Lock } from './lock';
export { Event } from './event';
export { Condition, type ConditionOptions } from './condition';
export { Semaphore, BoundedSemaphore } from './semaphore';
export { Barrier } from './barrier';
export { Hold, type ResourceOptions } from './resource';
