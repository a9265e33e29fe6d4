using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>Checks a loaded graph's inputs and outputs against model-package.md so a wrong graph fails at load.</summary>
internal static class GraphContract
{
    public sealed record Port(string Name, TensorElementType Type, int Rank);

    public static void Require(InferenceSession session, string graphName, IReadOnlyList<Port> inputs, IReadOnlyList<Port> outputs)
    {
        Check(graphName, "input", session.InputNames, session.InputMetadata, inputs);
        Check(graphName, "output", session.OutputNames, session.OutputMetadata, outputs);
    }

    private static void Check(string graphName, string kind, IReadOnlyList<string> actualNames,
        IReadOnlyDictionary<string, NodeMetadata> metadata, IReadOnlyList<Port> expected)
    {
        var expectedNames = expected.Select(p => p.Name).ToList();
        if (!actualNames.SequenceEqual(expectedNames))
            throw new ModelPackageException(
                $"{graphName}.onnx {kind}s are [{string.Join(", ", actualNames)}] but the contract needs [{string.Join(", ", expectedNames)}]");
        foreach (var port in expected)
        {
            var meta = metadata[port.Name];
            if (meta.ElementDataType != port.Type || meta.Dimensions.Length != port.Rank)
                throw new ModelPackageException(
                    $"{graphName}.onnx {kind} '{port.Name}' is {meta.ElementDataType} rank {meta.Dimensions.Length}; the contract needs {port.Type} rank {port.Rank}");
        }
    }
}
