using QwenVlStudio.Web.Batches.Zip;
using QwenVlStudio.Web.Uploads;

namespace QwenVlStudio.Web.Batches;

/// <summary>
/// Files chosen for a batch that is not submitted yet, kept on disk (not in memory) under server-generated names in
/// a private temporary folder; archives are unpacked here with <see cref="SafeZipReader"/>. Disposing deletes the
/// folder. One instance per form.
/// </summary>
public sealed class BatchUploadStaging : IDisposable
{
    private readonly string _folder;
    private readonly BatchOptions _options;
    private readonly long _maxImageBytes;
    private readonly List<StagedFile> _files = [];
    private readonly List<string> _notes = [];
    private int _counter;

    public BatchUploadStaging(BatchOptions options, long maxImageBytes, string? parentFolder = null)
    {
        _options = options;
        _maxImageBytes = maxImageBytes;
        _folder = Path.Combine(parentFolder ?? Path.GetTempPath(), "qwenvl-batch-" + Guid.NewGuid().ToString("N"));
        Web.Hosting.PrivateFiles.CreateFolder(_folder); // 0700: other local users must not read the uploads
    }

    /// <summary>A file that will become an item: on disk at <see cref="Path"/>, or refused with <see cref="Refusal"/>.</summary>
    public sealed record StagedFile(string FileName, string? Path, string? Refusal, string? Archive);

    public IReadOnlyList<StagedFile> Files => _files;

    /// <summary>What was left out of archives or refused as a whole, for people.</summary>
    public IReadOnlyList<string> Notes => _notes;

    public string Folder => _folder;

    /// <summary>
    /// Copies one uploaded file to the staging folder; a zip archive (by name or by its first bytes) is unpacked.
    /// Problems become refused entries or notes, never exceptions, except cancellation.
    /// </summary>
    public async Task AddAsync(string clientFileName, Stream content, long declaredSize, CancellationToken cancellationToken)
    {
        var name = ZipEntryNames.DisplayName(clientFileName, _files.Count);
        if (_files.Count >= _options.MaxFiles)
        {
            _notes.Add($"{name}: left out, a batch can have at most {_options.MaxFiles:N0} files.");
            return;
        }

        if (declaredSize > _options.MaxUploadBytes)
        {
            _files.Add(new StagedFile(name, null, $"The file is {ImageUploadValidator.FormatBytes(declaredSize)}; the upload limit is {ImageUploadValidator.FormatBytes(_options.MaxUploadBytes)}.", null));
            return;
        }

        // Only an archive may be as large as the upload limit; anything else is one image and is read no further than
        // the per-image limit, so a 300 MB non-image costs 20 MiB of reading, not 300 MB of staging.
        var head = new byte[4];
        int headLength = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        bool zip = IsZip(name, head.AsSpan(0, headLength));
        long limit = zip ? _options.MaxUploadBytes : _maxImageBytes;
        if (!zip && declaredSize > _maxImageBytes)
        {
            _files.Add(new StagedFile(name, null, OverImageLimit(), null));
            return;
        }

        var path = NextPath();
        bool complete;
        await using (var target = new FileStream(path, PrivateFile()))
        {
            await target.WriteAsync(head.AsMemory(0, headLength), cancellationToken).ConfigureAwait(false);
            complete = await CopyAtMostAsync(content, target, limit - headLength, cancellationToken).ConfigureAwait(false);
        }
        if (!complete)
        {
            File.Delete(path);
            _files.Add(new StagedFile(name, null, zip
                ? $"The file is over the {ImageUploadValidator.FormatBytes(_options.MaxUploadBytes)} upload limit."
                : OverImageLimit(), null));
            return;
        }

        if (zip)
        {
            Unpack(name, path);
            File.Delete(path);
        }
        else
        {
            _files.Add(new StagedFile(name, path, null, null));
        }
    }

    public IReadOnlyList<BatchInput> ToInputs() =>
        _files.Select(f => f.Path is not null ? BatchInput.FromFile(f.FileName, f.Path) : BatchInput.Refused(f.FileName, f.Refusal!)).ToList();

    public void Clear()
    {
        foreach (var file in _files.Where(f => f.Path is not null))
            File.Delete(file.Path!);
        _files.Clear();
        _notes.Clear();
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private void Unpack(string archiveName, string archivePath)
    {
        var added = new List<StagedFile>();
        try
        {
            using var archive = File.OpenRead(archivePath);
            foreach (var entry in SafeZipReader.Read(archive, _options.ZipLimits(_maxImageBytes)))
            {
                if (_files.Count + added.Count >= _options.MaxFiles)
                {
                    _notes.Add($"{archiveName}: stopped at {_options.MaxFiles:N0} files, the most a batch can have.");
                    break;
                }

                switch (entry.Kind)
                {
                    case ZipEntryKind.File:
                        var path = NextPath();
                        using (var file = new FileStream(path, PrivateFile()))
                            file.Write(entry.Bytes!);
                        added.Add(new StagedFile(entry.FileName, path, null, archiveName));
                        break;
                    case ZipEntryKind.Refused:
                        added.Add(new StagedFile(entry.FileName, null, $"Refused in {archiveName}: {entry.Reason}.", archiveName));
                        break;
                    case ZipEntryKind.Skipped:
                        _notes.Add($"{archiveName}: skipped {entry.FileName} ({entry.Reason}).");
                        break;
                }
            }
        }
        catch (ArchiveRefusedException ex)
        {
            // All or nothing per archive: what was already unpacked from it is dropped with it.
            foreach (var file in added.Where(f => f.Path is not null))
                File.Delete(file.Path!);
            _notes.Add($"{archiveName}: {ex.Message}");
            return;
        }

        _files.AddRange(added);
    }

    /// <summary>Copies until the end, or stops (false) once more than <paramref name="limit"/> bytes came.</summary>
    private static async Task<bool> CopyAtMostAsync(Stream source, Stream target, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81_920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > limit)
                return false;
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private string NextPath() => Path.Combine(_folder, $"{Interlocked.Increment(ref _counter):D6}.upload");

    private string OverImageLimit() => $"The file is over the {ImageUploadValidator.FormatBytes(_maxImageBytes)} limit per image.";

    private static bool IsZip(string name, ReadOnlySpan<byte> magic) =>
        name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
        || (magic.Length == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K' && magic[2] is 3 or 5 && magic[3] is 4 or 6);

    /// <summary>A new file readable by this user only (0600), whatever the process umask.</summary>
    private static FileStreamOptions PrivateFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = Web.Hosting.PrivateFiles.FileMode;
        return options;
    }
}
