"""Prompt-side math of Qwen3-VL in plain Python: image token expansion (§3) and MRoPE positions (§8)."""

IMAGE_PAD_ID = 151655


def expand_image_tokens(ids, tokens_per_image, image_token_id=IMAGE_PAD_ID):
    """Replaces the i-th image token with tokens_per_image[i] copies of it."""
    out = []
    image = 0
    for token in ids:
        if token == image_token_id:
            if image >= len(tokens_per_image):
                raise ValueError(f"prompt has more image tokens than the {len(tokens_per_image)} images given")
            out.extend([image_token_id] * tokens_per_image[image])
            image += 1
        else:
            out.append(token)
    if image != len(tokens_per_image):
        raise ValueError(f"prompt has {image} image tokens but {len(tokens_per_image)} images were given")
    return out


def mrope_positions(ids, image_grids, merge=2, image_token_id=IMAGE_PAD_ID):
    """(t, h, w) positions of an unpadded expanded prompt and its rope delta.

    image_grids: (t, gh, gw) of each image in prompt order. Returns ([3][S] ints, rope_delta).
    """
    count = len(ids)
    pos = [[0] * count for _ in range(3)]
    p = 0
    i = 0
    image = 0
    while i < count:
        if ids[i] == image_token_id:
            if image >= len(image_grids):
                raise ValueError("more image token runs than image grids")
            _, gh, gw = image_grids[image]
            h2, w2 = gh // merge, gw // merge
            run = h2 * w2
            if i + run > count or any(t != image_token_id for t in ids[i:i + run]):
                raise ValueError(f"image {image} needs a run of {run} image tokens at index {i}")
            for j in range(run):
                pos[0][i + j] = p
                pos[1][i + j] = p + j // w2
                pos[2][i + j] = p + j % w2
            i += run
            p += max(h2, w2)
            image += 1
        else:
            pos[0][i] = pos[1][i] = pos[2][i] = p
            p += 1
            i += 1
    if image != len(image_grids):
        raise ValueError(f"{len(image_grids)} image grids given but {image} image token runs found")
    return pos, p - count
