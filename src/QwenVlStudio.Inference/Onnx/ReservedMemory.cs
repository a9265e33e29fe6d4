using System.Runtime.InteropServices;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>
/// A large zero-initialised native block whose pages cost memory only once written (Linux: an anonymous
/// MAP_NORESERVE mapping; elsewhere calloc, which is lazy for large blocks on the common allocators), with a way to
/// give a range's pages back to the OS (Linux: madvise(MADV_DONTNEED)).
/// </summary>
internal sealed unsafe partial class ReservedMemory : IDisposable
{
    private const int ProtRead = 1, ProtWrite = 2;
    private const int MapPrivate = 0x02, MapAnonymous = 0x20, MapNoReserve = 0x4000;
    private const int MadvDontNeed = 4;
    private static readonly long PageSize = Environment.SystemPageSize;

    private readonly bool _mapped;
    private void* _address;

    public ReservedMemory(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        Bytes = bytes;
        if (OperatingSystem.IsLinux())
        {
            var address = Mmap(null, (nuint)bytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
            if (address == (void*)-1)
                throw new OutOfMemoryException($"cannot reserve {bytes / (1 << 20)} MiB of address space for the KV buffers (errno {Marshal.GetLastPInvokeError()})");
            _address = address;
            _mapped = true;
        }
        else
        {
            _address = NativeMemory.AllocZeroed((nuint)bytes);
        }
    }

    public long Bytes { get; }

    public IntPtr Address => _address is null ? throw new ObjectDisposedException(nameof(ReservedMemory)) : (IntPtr)_address;

    public Span<float> Floats(long offsetFloats, int count)
    {
        if (offsetFloats < 0 || (offsetFloats + count) * sizeof(float) > Bytes)
            throw new ArgumentOutOfRangeException(nameof(offsetFloats), $"[{offsetFloats}, +{count}) floats outside a block of {Bytes} bytes");
        return new Span<float>((float*)Address + offsetFloats, count);
    }

    /// <summary>
    /// Returns the whole pages inside [offset, offset + length) to the OS; pages only partly inside stay, as they
    /// hold neighbouring data. The contents of the range are undefined afterwards (the KV never reads positions it
    /// has not written). Without mmap (not Linux) nothing is returned.
    /// </summary>
    public void Release(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > Bytes)
            throw new ArgumentOutOfRangeException(nameof(length), $"[{offset}, +{length}) outside a block of {Bytes} bytes");
        long start = (offset + PageSize - 1) / PageSize * PageSize;
        long end = (offset + length) / PageSize * PageSize;
        if (!_mapped || end <= start) return;
        if (Madvise((byte*)Address + start, (nuint)(end - start), MadvDontNeed) != 0)
            throw new InvalidOperationException($"madvise(MADV_DONTNEED) failed (errno {Marshal.GetLastPInvokeError()})");
    }

    public void Dispose()
    {
        if (_address is null) return;
        if (_mapped) _ = Munmap(_address, (nuint)Bytes);
        else NativeMemory.Free(_address);
        _address = null;
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(void* address, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(void* address, nuint length, int advice);
}
