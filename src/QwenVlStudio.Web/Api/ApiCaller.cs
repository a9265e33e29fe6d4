namespace QwenVlStudio.Web.Api;

/// <summary>Who is calling: the key's owner (whose limits and, later, caches apply) and a stable key id.</summary>
public sealed record ApiCaller(Guid OwnerId, string KeyId);
