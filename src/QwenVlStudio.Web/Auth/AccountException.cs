namespace QwenVlStudio.Web.Auth;

/// <summary>An account change was refused; the message is meant for the admin who asked for it.</summary>
public sealed class AccountException(string message) : Exception(message);
