// The integration collections spend their time waiting on brokers, databases and session timeouts, not computing (about
// a third of one core each): xunit's default of one collection per core would run them two at a time, so the suite
// would last as long as the sum of all but one. Four at a time: more would leave the CPU-bound ones (the demo scenarios,
// the browser) short of the two cores. Each collection has its own embedded broker and databases.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
