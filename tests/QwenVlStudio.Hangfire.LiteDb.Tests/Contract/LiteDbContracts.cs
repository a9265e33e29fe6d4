using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Contract;

// The same storage contract bound to the LiteDB storage: it must pass exactly what the reference passes.

public sealed class LiteDbConnectionFacts : ConnectionContractFacts<LiteDbTarget>;

public sealed class LiteDbTransactionFacts : TransactionContractFacts<LiteDbTarget>;

public sealed class LiteDbExpirationFacts : ExpirationContractFacts<LiteDbTarget>;

public sealed class LiteDbQueueFacts : QueueContractFacts<LiteDbTarget>;

public sealed class LiteDbLockFacts : LockContractFacts<LiteDbTarget>;

public sealed class LiteDbMonitoringFacts : MonitoringContractFacts<LiteDbTarget>;

[Collection(ServerCollection.Name)]
public sealed class LiteDbServerFacts : ServerContractFacts<LiteDbTarget>;
