using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Contract;

// The storage contract bound to Hangfire.InMemory 1.0.0, the reference: what these assert is what Hangfire expects.

public sealed class InMemoryConnectionFacts : ConnectionContractFacts<InMemoryTarget>;

public sealed class InMemoryTransactionFacts : TransactionContractFacts<InMemoryTarget>;

public sealed class InMemoryExpirationFacts : ExpirationContractFacts<InMemoryTarget>;

public sealed class InMemoryQueueFacts : QueueContractFacts<InMemoryTarget>;

public sealed class InMemoryLockFacts : LockContractFacts<InMemoryTarget>;

public sealed class InMemoryMonitoringFacts : MonitoringContractFacts<InMemoryTarget>;

[Collection(ServerCollection.Name)]
public sealed class InMemoryServerFacts : ServerContractFacts<InMemoryTarget>;
