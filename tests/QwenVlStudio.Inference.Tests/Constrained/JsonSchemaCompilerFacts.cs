using QwenVlStudio.Inference.Constrained;

namespace QwenVlStudio.Inference.Tests.Constrained;

/// <summary>Schemas the engine cannot honour are refused with the keyword named, never silently loosened.</summary>
public class JsonSchemaCompilerFacts
{
    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/$defs/x"}}}""", "$ref", "#/properties/a")]
    [InlineData("""{"oneOf":[{"type":"string"}]}""", "oneOf", "#")]
    [InlineData("""{"allOf":[{"type":"string"}]}""", "allOf", "#")]
    [InlineData("""{"type":"number","minimum":-1}""", "minimum", "#")]
    [InlineData("""{"type":"integer","maximum":2.5}""", "maximum", "#")]
    [InlineData("""{"type":"integer","multipleOf":2}""", "multipleOf", "#")]
    [InlineData("""{"type":"string","format":"date-time"}""", "format", "#")]
    [InlineData("""{"type":"array","prefixItems":[{"type":"string"}]}""", "prefixItems", "#")]
    [InlineData("""{"type":"array","items":[{"type":"string"}]}""", "items", "#")]
    [InlineData("""{"type":"array","items":{"type":"string","pattern":"(?=a)"}}""", "pattern", "#/items")]
    [InlineData("""{"type":"string","pattern":"(a)\\1"}""", "pattern", "#")]
    [InlineData("""{"type":"string","pattern":"[é]"}""", "pattern", "#")]
    [InlineData("""{"type":"string","pattern":"a","minLength":2}""", "minLength", "#")]
    [InlineData("""{"type":"date"}""", "type", "#")]
    [InlineData("""{"type":"string","maxLength":-1}""", "maxLength", "#")]
    [InlineData("""{"type":"object","required":"a"}""", "required", "#")]
    [InlineData("""{"type":"string","anyOf":[{"maxLength":2}]}""", "type", "#")]
    [InlineData("""{"enum":["a"],"maxLength":3}""", "maxLength", "#")]
    [InlineData("""{"properties":{"a":{}},"maxProperties":1}""", "maxProperties", "#")]
    public void UnsupportedOrMalformedKeyword_IsNamed(string schema, string keyword, string path)
    {
        var error = Assert.Throws<JsonSchemaException>(() => JsonConstraint.FromSchema(schema));
        Assert.Equal(keyword, error.Keyword);
        Assert.Equal(path, error.SchemaPath);
        Assert.Contains(keyword, error.Message);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("""{"enum":[]}""")]
    [InlineData("""{"type":"string","enum":[1, 2]}""")]
    [InlineData("""{"const":"a","enum":["b"]}""")]
    [InlineData("""{"type":"string","minLength":5,"maxLength":2}""")]
    [InlineData("""{"type":"array","minItems":3,"maxItems":1}""")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":4}""")]
    [InlineData("""{"type":"array","items":false,"minItems":1}""")]
    [InlineData("""{"type":"object","properties":{"a":false},"required":["a"]}""")]
    [InlineData("""{"type":"object","required":["a"],"additionalProperties":false}""")]
    [InlineData("""{"anyOf":[false,{"enum":[]}]}""")]
    [InlineData("""{"type":"string","pattern":"^[a-z]{5}$","maxLength":3}""")]
    [InlineData("""{"type":"string","pattern":"^[^ -~]$"}""")]
    public void SchemaThatAllowsNothing_IsRefused(string schema)
    {
        var error = Assert.ThrowsAny<JsonSchemaException>(() => JsonConstraint.FromSchema(schema));
        Assert.Contains("allows no", error.Message);
    }

    [Fact]
    public void SchemaThatIsNotJson_IsRefused()
    {
        var error = Assert.Throws<JsonSchemaException>(() => JsonConstraint.FromSchema("{\"type\": "));
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void AnnotationsAreAccepted()
    {
        var constraint = JsonConstraint.FromSchema("""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"T","description":"d","type":"object",
             "properties":{"a":{"type":"string","description":"x","default":"y","examples":["z"]}}}
            """);
        Assert.NotNull(constraint);
    }
}
