import json
import unittest

from support import GOLDEN_DIR
from qvl_export.npy_lite import read_npy
from qvl_export.vision_math import ImageGeometryError, image_token_count, patch_row_col, vision_position_inputs

IMAGE_CASES = ["case1_image_describe", "case2_tall_ocr_zh", "case3_tiny_two_turn", "case5_two_images",
               "case6_exact_size"]


def _flatten(rows):
    return [value for row in rows for value in row]


class VisionPositionFacts(unittest.TestCase):
    def test_vision_position_inputs_MatchGoldenTensors_WhenGoldenGrids(self):
        for case in IMAGE_CASES:
            grids = json.loads((GOLDEN_DIR / case / "case.json").read_text(encoding="utf-8"))["image_grid_thw"]
            for i, (_, gh, gw) in enumerate(grids):
                with self.subTest(case=case, image=i):
                    idx, weight, rotary = vision_position_inputs(gh, gw, 48)
                    _, idx_shape, golden_idx = read_npy(GOLDEN_DIR / case / f"vision_pos_embed_idx_{i}.npy")
                    _, _, golden_weight = read_npy(GOLDEN_DIR / case / f"vision_pos_embed_weight_{i}.npy")
                    _, rot_shape, golden_rot = read_npy(GOLDEN_DIR / case / f"vision_rotary_pos_ids_{i}.npy")
                    self.assertEqual(idx_shape, (4, gh * gw))
                    self.assertEqual(rot_shape, (gh * gw, 2))
                    self.assertEqual(_flatten(idx), golden_idx)
                    self.assertEqual(_flatten(rotary), golden_rot)
                    worst = max(abs(a - b) for a, b in zip(_flatten(weight), golden_weight))
                    self.assertLess(worst, 1e-5)

    def test_vision_position_inputs_WeightsSumToOne_WhenAnyGrid(self):
        _, weight, _ = vision_position_inputs(6, 10, 48)
        for n in range(60):
            self.assertAlmostEqual(sum(weight[k][n] for k in range(4)), 1.0, places=5)

    def test_vision_position_inputs_UsesCornerZero_WhenGridHasOneMergeBlock(self):
        idx, weight, rotary = vision_position_inputs(2, 2, 48)
        self.assertEqual(rotary, [[0, 0], [0, 1], [1, 0], [1, 1]])
        self.assertEqual(idx[0][0], 0)
        self.assertEqual(idx[3][3], 47 * 48 + 47)
        self.assertEqual(weight[0][0], 1.0)

    def test_vision_position_inputs_Raises_WhenGridNotMultipleOfMerge(self):
        with self.assertRaises(ImageGeometryError):
            vision_position_inputs(3, 4, 48)

    def test_patch_row_col_WalksMergeBlocksRowMajor_WhenGridIs4x4(self):
        order = [patch_row_col(n, 4) for n in range(8)]
        self.assertEqual(order, [(0, 0), (0, 1), (1, 0), (1, 1), (0, 2), (0, 3), (1, 2), (1, 3)])

    def test_image_token_count_IsQuarterOfPatches_WhenMergeIs2(self):
        self.assertEqual(image_token_count(1, 12, 18), 54)


if __name__ == "__main__":
    unittest.main()
