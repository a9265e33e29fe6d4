using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Auth;

/// <summary>Creating users, checking passwords and removing users, with the rules people are told about.</summary>
public sealed partial class UserAccounts(UserStore users, IPasswordHasher<UserRecord> hasher, TimeProvider clock)
{
    public const int MinPasswordLength = 8;

    // The hash an unknown name's password is checked against, so that it costs the same PBKDF2 work as a known one
    // and the answer's time does not tell which names exist.
    private readonly Lazy<(UserRecord User, string Hash)> _decoy = new(() =>
    {
        var decoy = new UserRecord { Id = Guid.Empty, UserName = "decoy" };
        return (decoy, hasher.HashPassword(decoy, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));
    });

    /// <exception cref="AccountException">Invalid name, weak password, unknown role or a taken name.</exception>
    public UserRecord Create(string userName, string password, string role)
    {
        var name = userName.Trim();
        if (!UserNamePattern().IsMatch(name))
            throw new AccountException("User names have 1–64 letters, digits, '.', '-', '_' or '@'.");
        if (password.Length < MinPasswordLength)
            throw new AccountException($"Passwords need at least {MinPasswordLength} characters.");
        if (!Roles.All.Contains(role))
            throw new AccountException($"Unknown role '{role}'.");
        if (users.FindByName(name) is not null)
            throw new AccountException($"The user name '{name}' is taken.");

        var user = new UserRecord
        {
            Id = Guid.NewGuid(),
            UserName = name,
            NormalizedUserName = UserStore.Normalize(name),
            Role = role,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = hasher.HashPassword(user, password);
        users.Insert(user);
        return user;
    }

    /// <summary>
    /// The user when the password matches; null for an unknown name or a wrong password alike, after the same
    /// password-hash work in both cases.
    /// </summary>
    public UserRecord? Verify(string userName, string password)
    {
        var user = users.FindByName(userName);
        if (user is null)
        {
            var (decoy, hash) = _decoy.Value;
            hasher.VerifyHashedPassword(decoy, hash, password);
            return null;
        }
        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            users.Update(user);
        }

        return result == PasswordVerificationResult.Failed ? null : user;
    }

    /// <exception cref="AccountException">Deleting oneself or the last admin.</exception>
    public bool Delete(Guid userId, Guid actingUserId)
    {
        if (userId == actingUserId)
            throw new AccountException("You cannot delete your own account.");
        var user = users.FindById(userId);
        if (user is null)
            return false;
        if (user.Role == Roles.Admin && users.CountAdmins() <= 1)
            throw new AccountException("The last admin cannot be deleted.");
        return users.Delete(userId);
    }

    [GeneratedRegex(@"^[\p{L}\p{Nd}._@-]{1,64}$")]
    private static partial Regex UserNamePattern();
}
