using System.Text;
using System.Text.Json;
using QwenVlStudio.Inference.Constrained;

namespace QwenVlStudio.Inference.Tests.Constrained;

/// <summary>The byte-level parser on hand-written documents: what it accepts, refuses, and where it may end.</summary>
public class JsonAutomatonFacts
{
    private static ParserState Start(string schema)
    {
        using var document = JsonDocument.Parse(schema);
        return ParserState.Start(JsonSchemaCompiler.Compile(document.RootElement));
    }

    /// <summary>Null when some byte is refused; otherwise whether the document may end after the text.</summary>
    private static bool? Run(string schema, string text) => Start(schema).Advance(Encoding.UTF8.GetBytes(text))?.CanFinish;

    [Theory]
    [InlineData("""{"a":1}""")]
    [InlineData("""{ "a" : [true, false, null, "x\n\u00e9", -0.5e+10, {}], "b": {"c": []} }""")]
    [InlineData("{}")]
    [InlineData("""{"ключ": "значение 😀"}""")]
    public void AnyObject_AcceptsCompleteObjects(string text) => Assert.True(ParserState.Start(ObjectNode.FreeForm).Advance(Encoding.UTF8.GetBytes(text))?.CanFinish);

    [Theory]
    [InlineData("[]")] // json_object: the root must be an object
    [InlineData("{'a': 1}")]
    [InlineData("""{"a": 01}""")]
    [InlineData("""{"a": 1,}""")]
    [InlineData("""{"a" 1}""")]
    [InlineData("""{"a": tru}x""")]
    [InlineData("""{"a": "\x"}""")]
    [InlineData("""{"a": "\ud800"}""")] // lone surrogate escapes are refused
    [InlineData("{\"a\": \"tab\there\"}")] // control characters must be escaped
    [InlineData("""{"a": 1}}""")]
    public void AnyObject_RefusesInvalidJson(string text) => Assert.Null(ParserState.Start(ObjectNode.FreeForm).Advance(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void AnyObject_RefusesInvalidUtf8()
    {
        var start = ParserState.Start(ObjectNode.FreeForm).Advance("{\"a\": \""u8)!;
        Assert.Null(start.Advance([0xC0, 0x80])); // overlong
        Assert.Null(start.Advance([0xED, 0xA0, 0x80])); // UTF-8 surrogate
        Assert.Null(start.Advance([0x80])); // continuation without a lead
        Assert.NotNull(start.Advance([0xE2, 0x82, 0xAC])); // €
    }

    [Fact]
    public void Whitespace_IsBoundedSoTheModelCannotLoopOnIt()
    {
        var state = ParserState.Start(ObjectNode.FreeForm).Advance("{"u8)!;
        for (int i = 0; i < Frame.MaxWhitespaceRun; i++) state = state.Advance((byte)' ')!;
        Assert.Null(state.Advance((byte)' '));
        Assert.NotNull(state.Advance((byte)'}'));
    }

    [Fact]
    public void Properties_ComeInDeclarationOrder_AndRequiredOnesCannotBeSkipped()
    {
        const string schema = """{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":{"type":"integer"}},"required":["b"]}""";
        Assert.True(Run(schema, """{"a":1,"b":2,"c":3}"""));
        Assert.True(Run(schema, """{"b":2}"""));
        Assert.Null(Run(schema, """{"c":3"""));            // would skip the required b
        Assert.Null(Run(schema, """{"b":2,"a":1"""));      // a comes before b
        Assert.Null(Run(schema, """{"a":1}"""));           // b is missing
        Assert.Null(Run(schema, """{"d":1"""));            // undeclared
        Assert.Null(Run(schema, """{"a":1.5"""));          // a is an integer
        Assert.False(Run(schema, """{"a":1,"""));
    }

    [Fact]
    public void Enum_MatchesWholeCandidatesOnly()
    {
        const string schema = """{"enum": ["red", "re", 1, 12, null, {"x": [1, "two"]}]}""";
        Assert.True(Run(schema, "\"red\""));
        Assert.True(Run(schema, "\"re\""));
        Assert.True(Run(schema, "1"));
        Assert.True(Run(schema, "12"));
        Assert.True(Run(schema, """{"x":[1,"two"]}"""));
        Assert.False(Run(schema, "\"r"));
        Assert.Null(Run(schema, "\"blue\""));
        Assert.Null(Run(schema, "123"));
    }

    [Fact]
    public void Array_CountsItemsBetweenMinAndMax()
    {
        const string schema = """{"type":"array","items":{"type":"boolean"},"minItems":1,"maxItems":2}""";
        Assert.Null(Run(schema, "[]"));
        Assert.True(Run(schema, "[true]"));
        Assert.True(Run(schema, "[true, false]"));
        Assert.Null(Run(schema, "[true, false,"));
        Assert.Null(Run(schema, "[1]"));
    }

    [Fact]
    public void AnyOf_KeepsEveryAlternativeThatStillFits()
    {
        const string schema = """{"anyOf":[{"type":"integer"},{"type":"string","maxLength":2},{"type":"null"}]}""";
        Assert.True(Run(schema, "17"));
        Assert.True(Run(schema, "\"ab\""));
        Assert.True(Run(schema, "null"));
        Assert.Null(Run(schema, "\"abc"));
        Assert.Null(Run(schema, "1.5"));
    }

    [Fact]
    public void StringLength_CountsCodePoints_AndEscapesAsOne()
    {
        const string schema = """{"type":"string","minLength":2,"maxLength":3}""";
        Assert.Null(Run(schema, "\"a\""));
        Assert.True(Run(schema, "\"é😀\""));
        Assert.True(Run(schema, "\"\\n\\u00e9x\""));
        Assert.Null(Run(schema, "\"abcd"));
    }

    [Theory]
    [InlineData("^[A-Z]{3}-[0-9]{2,4}$", "ABC-12", true)]
    [InlineData("^[A-Z]{3}-[0-9]{2,4}$", "ABC-12345", false)]
    [InlineData("^[A-Z]{3}-[0-9]{2,4}$", "AB-12", false)]
    [InlineData("^(cat|dog)s?$", "dogs", true)]
    [InlineData("^(?:cat|dog)s?$", "cow", false)]
    [InlineData("^\\d+(\\.\\d+)?$", "3.14", true)]
    [InlineData("^\\w+@\\w+\\.com$", "me@site.com", true)]
    [InlineData("^[^a-z]*$", "ABC 12", true)]
    [InlineData("^[^a-z]*$", "ABc", false)]
    [InlineData("ab", "xxabyy", true)] // unanchored: anywhere in the string
    [InlineData("ab", "xxa", false)]
    public void Pattern_MatchesLikeARegularExpression(string pattern, string value, bool valid)
    {
        var schema = JsonSerializer.Serialize(new { type = "string", pattern });
        bool? result = Run(schema, $"\"{value}\"");
        Assert.Equal(valid, result == true);
        Assert.Equal(valid, System.Text.RegularExpressions.Regex.IsMatch(value, pattern));
    }

    [Fact]
    public void PatternWithMaxLength_RefusesCharactersAfterWhichItCouldNotFinish()
    {
        const string schema = """{"type":"string","pattern":"ab","maxLength":4}""";
        Assert.NotNull(Start(schema).Advance("\"xa"u8));
        Assert.Null(Start(schema).Advance("\"xxx"u8)); // "ab" no longer fits in one character
        Assert.True(Run(schema, "\"xxab\""));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-12.5e-3", true)]
    [InlineData("1E5", true)]
    [InlineData("00", null)]
    [InlineData("1.", false)]
    [InlineData("+1", null)]
    [InlineData(".5", null)]
    [InlineData("1e999", null)] // exponents are bounded to two digits
    public void Numbers_FollowTheJsonGrammar(string text, bool? complete) => Assert.Equal(complete, Run("""{"type":"number"}""", text));

    [Fact]
    public void Integers_HaveNoFractionOrExponent_AndBoundedDigits()
    {
        Assert.True(Run("""{"type":"integer"}""", "-42"));
        Assert.Null(Run("""{"type":"integer"}""", "4.0"));
        Assert.Null(Run("""{"type":"integer"}""", "4e2"));
        Assert.True(Run("""{"type":"integer"}""", new string('9', NumberFrame.MaxIntegerDigits)));
        Assert.Null(Run("""{"type":"integer"}""", new string('9', NumberFrame.MaxIntegerDigits + 1)));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("1000", true)]
    [InlineData("999", true)]
    [InlineData("1001", null)]
    [InlineData("2000", null)]
    [InlineData("100", true)]
    [InlineData("-1", null)]
    [InlineData("01", null)]
    [InlineData("1.5", null)]
    public void BoundedInteger_StaysWithinMinimumAndMaximum(string text, bool? complete) =>
        Assert.Equal(complete, Run("""{"type":"integer","minimum":0,"maximum":1000}""", text));

    [Fact]
    public void BoundedInteger_RefusesDigitsThatCanNoLongerReachTheMinimum()
    {
        const string schema = """{"type":"integer","minimum":50,"maximum":60}""";
        Assert.False(Run(schema, "5"));      // may still become 50…59
        Assert.True(Run(schema, "55"));
        Assert.Null(Run(schema, "4"));       // 4, 40…49 and 400… are all out of range
        Assert.Null(Run(schema, "0"));
        Assert.True(Run(schema, "60"));
        Assert.Null(Run(schema, "61"));
    }

    [Fact]
    public void CompleteDocument_TakesNoMoreBytes()
    {
        var done = Start("""{"type":"boolean"}""").Advance("true"u8)!;
        Assert.True(done.CanFinish);
        Assert.Null(done.Advance((byte)' '));
        Assert.True(Start("""{"const":"x"}""").Advance("\"x\""u8)!.IsComplete);
    }

    [Fact]
    public void FreeFormObject_BoundsItsPropertyCountAndKeys()
    {
        const string schema = """{"additionalProperties":{"type":"integer"},"propertyNames":{"maxLength":2},"minProperties":1,"maxProperties":2}""";
        Assert.Null(Run(schema, "{}"));
        Assert.True(Run(schema, """{"ab":1,"c":2}"""));
        Assert.Null(Run(schema, """{"ab":1,"c":2,"""));
        Assert.Null(Run(schema, """{"abc":1"""));
    }
}
