// Types of the slot calculator ioredis itself uses (the package ships none).
declare module 'cluster-key-slot' {
  /** The Redis Cluster hash slot (0..16383) of a key, honouring `{hash tags}`. */
  function calculateSlot(key: string | Buffer): number;
  namespace calculateSlot {
    /** The common slot of `keys`, or -1 when they are not all in one slot. */
    function generateMulti(keys: readonly (string | Buffer)[]): number;
  }
  export = calculateSlot;
}
