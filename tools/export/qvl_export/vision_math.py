"""Image geometry of Qwen3-VL, in plain Python (model-package.md §2 and §4).

These are the caller-side formulas the engine implements too; the exporter uses them to build the vision encoder's
position inputs and the tests compare them with the golden tensors.
"""
import math
import struct

MAX_ASPECT_RATIO = 200


class ImageGeometryError(ValueError):
    """An image whose shape Qwen3-VL's preprocessing rejects."""


def smart_resize(height, width, factor=32, min_pixels=65536, max_pixels=16777216):
    """Target (height, width): multiples of `factor`, pixel count inside [min_pixels, max_pixels].

    Same rules as Hugging Face's Qwen2-VL image processor; Python's round() is round-half-even like theirs.
    """
    if height <= 0 or width <= 0:
        raise ImageGeometryError(f"image size must be positive, got {height}x{width}")
    if max(height, width) / min(height, width) > MAX_ASPECT_RATIO:
        raise ImageGeometryError(
            f"absolute aspect ratio must be smaller than {MAX_ASPECT_RATIO}, got {max(height, width) / min(height, width)}")
    h_bar = round(height / factor) * factor
    w_bar = round(width / factor) * factor
    if h_bar * w_bar > max_pixels:
        beta = math.sqrt((height * width) / max_pixels)
        h_bar = max(factor, math.floor(height / beta / factor) * factor)
        w_bar = max(factor, math.floor(width / beta / factor) * factor)
    elif h_bar * w_bar < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h_bar = math.ceil(height * beta / factor) * factor
        w_bar = math.ceil(width * beta / factor) * factor
    return h_bar, w_bar


def to_float32(value):
    """Rounds a Python float to the nearest float32 (the golden tensors are float32)."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


def _linspace_point(index, count, last):
    # r * (G-1) / (gh-1) in float64, exact enough that floor() gives the same corner as torch's float32 linspace.
    if count == 1:
        return 0.0
    return index * last / (count - 1)


def patch_row_col(n, grid_w, merge=2):
    """(row, col) in patch units of the n-th patch row (rows ordered (bh, bw, mh, mw), §2 step 5)."""
    per_block = merge * merge
    block, inner = divmod(n, per_block)
    bh, bw = divmod(block, grid_w // merge)
    mh, mw = divmod(inner, merge)
    return bh * merge + mh, bw * merge + mw


def vision_position_inputs(grid_h, grid_w, num_grid_per_side, merge=2):
    """The vision encoder's three position inputs for one image of grid (1, grid_h, grid_w).

    Returns (pos_embed_idx [4][N] ints, pos_embed_weight [4][N] float32 values, rotary_pos_ids [N][2] ints).
    """
    if grid_h % merge or grid_w % merge:
        raise ImageGeometryError(f"grid {grid_h}x{grid_w} is not a multiple of the merge size {merge}")
    side = num_grid_per_side
    last = side - 1
    count = grid_h * grid_w
    idx = [[0] * count for _ in range(4)]
    weight = [[0.0] * count for _ in range(4)]
    rotary = []
    for n in range(count):
        r, c = patch_row_col(n, grid_w, merge)
        hy = _linspace_point(r, grid_h, last)
        wx = _linspace_point(c, grid_w, last)
        h0, w0 = int(math.floor(hy)), int(math.floor(wx))
        h1, w1 = min(h0 + 1, last), min(w0 + 1, last)
        dh, dw = hy - h0, wx - w0
        corners = (h0 * side + w0, h0 * side + w1, h1 * side + w0, h1 * side + w1)
        weights = ((1 - dh) * (1 - dw), (1 - dh) * dw, dh * (1 - dw), dh * dw)
        for k in range(4):
            idx[k][n] = corners[k]
            weight[k][n] = to_float32(weights[k])
        rotary.append([r, c])
    return idx, weight, rotary


def image_token_count(grid_t, grid_h, grid_w, merge=2):
    """Number of <|image_pad|> tokens one image expands to (§2 step 6)."""
    return grid_t * grid_h * grid_w // (merge * merge)
