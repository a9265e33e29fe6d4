namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// A JSON number, <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c> (integers without fraction or exponent),
/// with bounded digit counts so every number fits a double and the model cannot append digits forever.
/// </summary>
internal sealed record NumberFrame(bool Integer, NumberFrame.Phase At, int Digits, NumberNode? Bounds = null, long Value = 0) : Frame
{
    public const int MaxIntegerDigits = 15, MaxFractionDigits = 15, MaxExponentDigits = 2;

    public enum Phase { Start, Minus, Zero, Int, Dot, Fraction, Exponent, ExponentSign, ExponentDigits }

    public override bool CanEnd => At is Phase.Zero or Phase.Int or Phase.Fraction or Phase.ExponentDigits
        && (Bounds is null || Value >= (Bounds.Minimum ?? 0));

    public override void Feed(byte b, ParseStack? rest, List<ParseStack?> output)
    {
        var next = Bounds is null ? Next(b) : NextBounded(b);
        if (next is not null) ParseStack.Add(output, ParseStack.Push(next, rest));
    }

    /// <summary>A bounded integer (minimum ≥ 0, so no sign): a digit only when the number can still end within the bounds.</summary>
    private NumberFrame? NextBounded(byte b)
    {
        if (b is < (byte)'0' or > (byte)'9') return null;
        int digit = b - '0';
        return At switch
        {
            Phase.Start when digit == 0 => Bounds!.CanReach(0, leadingZero: true) ? this with { At = Phase.Zero } : null,
            Phase.Start => Bounds!.CanReach(digit, false) ? this with { At = Phase.Int, Digits = 1, Value = digit } : null,
            Phase.Int when Digits < MaxIntegerDigits && Bounds!.CanReach(Value * 10 + digit, false) =>
                this with { Digits = Digits + 1, Value = Value * 10 + digit },
            _ => null,
        };
    }

    private NumberFrame? Next(byte b)
    {
        bool digit = b is >= (byte)'0' and <= (byte)'9';
        bool exponent = !Integer && b is (byte)'e' or (byte)'E';
        return At switch
        {
            Phase.Start when b == '-' => this with { At = Phase.Minus },
            Phase.Start or Phase.Minus when b == '0' => this with { At = Phase.Zero },
            Phase.Start or Phase.Minus when digit => this with { At = Phase.Int, Digits = 1 },
            Phase.Int when digit && Digits < MaxIntegerDigits => this with { Digits = Digits + 1 },
            Phase.Zero or Phase.Int when !Integer && b == '.' => this with { At = Phase.Dot, Digits = 0 },
            Phase.Zero or Phase.Int or Phase.Fraction when exponent => this with { At = Phase.Exponent, Digits = 0 },
            Phase.Dot when digit => this with { At = Phase.Fraction, Digits = 1 },
            Phase.Fraction when digit && Digits < MaxFractionDigits => this with { Digits = Digits + 1 },
            Phase.Exponent when b is (byte)'+' or (byte)'-' => this with { At = Phase.ExponentSign },
            Phase.Exponent or Phase.ExponentSign when digit => this with { At = Phase.ExponentDigits, Digits = 1 },
            Phase.ExponentDigits when digit && Digits < MaxExponentDigits => this with { Digits = Digits + 1 },
            _ => null,
        };
    }
}
