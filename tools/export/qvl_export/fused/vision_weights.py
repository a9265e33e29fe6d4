"""Vision weights {HF name: array} read back from a legacy `onnx/vision_encoder.onnx` (§4, §10).

The legacy exporter merged initializers with identical contents (random-init norms are all ones, biases all
zeros), so some HF names exist only as `Identity(<kept name>) -> <HF name>` nodes. Each such alias is resolved to
the kept tensor explicitly; a name that is neither an initializer nor an alias of one is an error.
"""
import onnx
from onnx import numpy_helper


def read_legacy_vision_weights(graph_path):
    """Returns (weights, aliases): aliases maps each merged HF name to the initializer it reads."""
    model = onnx.load(str(graph_path), load_external_data=True)
    weights = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    aliases = {}
    for node in model.graph.node:
        if node.op_type != "Identity":
            continue
        source, target = node.input[0], node.output[0]
        while source in aliases:
            source = aliases[source]
        if source in weights and target.startswith("model."):
            aliases[target] = source
    for target, source in aliases.items():
        weights[target] = weights[source]
    return weights, aliases
