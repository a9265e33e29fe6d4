namespace QwenVlStudio.Web.Data;

/// <summary>User records; passwords are handled by <see cref="Auth.UserAccounts"/>.</summary>
public sealed class UserStore(StudioDatabase db)
{
    public static string Normalize(string userName) => userName.Trim().ToUpperInvariant();

    public IReadOnlyList<UserRecord> List() => db.Users.FindAll().OrderBy(u => u.UserName).ToList();

    public UserRecord? FindById(Guid id) => db.Users.FindById(id);

    public UserRecord? FindByName(string userName)
    {
        var normalized = Normalize(userName);
        return db.Users.FindOne(u => u.NormalizedUserName == normalized);
    }

    public bool AnyAdmin() => db.Users.Exists(u => u.Role == Roles.Admin);

    public int CountAdmins() => db.Users.Count(u => u.Role == Roles.Admin);

    public void Insert(UserRecord user) => db.Users.Insert(user);

    public bool Update(UserRecord user) => db.Users.Update(user);

    public bool Delete(Guid id) => db.Users.Delete(id);
}
