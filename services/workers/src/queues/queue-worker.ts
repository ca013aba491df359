// The base of the queue modules of this process lives in @commerce/queue-worker (the notifications
// processors share it); this path stays for the modules that import it from here.
export { QueueWorker, WORKER_ID } from '@commerce/queue-worker';
