import json
import unittest

from support import GOLDEN_DIR
from qvl_export.npy_lite import read_npy
from qvl_export.prompt_math import IMAGE_PAD_ID, expand_image_tokens, mrope_positions

CASES = ["case1_image_describe", "case2_tall_ocr_zh", "case3_tiny_two_turn", "case4_text_only",
         "case5_two_images", "case6_exact_size"]


class PromptMathFacts(unittest.TestCase):
    def test_mrope_positions_MatchGolden_WhenEveryCase(self):
        for case in CASES:
            with self.subTest(case=case):
                meta = json.loads((GOLDEN_DIR / case / "case.json").read_text(encoding="utf-8"))
                _, _, ids = read_npy(GOLDEN_DIR / case / "input_ids.npy")
                _, pos_shape, golden_pos = read_npy(GOLDEN_DIR / case / "position_ids.npy")
                pos, delta = mrope_positions(ids, meta.get("image_grid_thw", []))
                self.assertEqual(pos_shape, (3, 1, len(ids)))
                self.assertEqual([v for row in pos for v in row], golden_pos)
                self.assertEqual(delta, meta["rope_delta"])

    def test_expand_image_tokens_RepeatsEachPad_WhenTwoImages(self):
        ids = [1, IMAGE_PAD_ID, 2, IMAGE_PAD_ID, 3]
        self.assertEqual(expand_image_tokens(ids, [2, 3]),
                         [1, IMAGE_PAD_ID, IMAGE_PAD_ID, 2, IMAGE_PAD_ID, IMAGE_PAD_ID, IMAGE_PAD_ID, 3])

    def test_expand_image_tokens_Raises_WhenImageCountDiffers(self):
        with self.assertRaises(ValueError):
            expand_image_tokens([IMAGE_PAD_ID], [])
        with self.assertRaises(ValueError):
            expand_image_tokens([1, 2], [4])

    def test_mrope_positions_Raises_WhenImageRunTooShort(self):
        with self.assertRaises(ValueError):
            mrope_positions([IMAGE_PAD_ID, 5], [(1, 4, 4)])

    def test_mrope_positions_CountsTextOnly_WhenNoImages(self):
        pos, delta = mrope_positions([5, 6, 7], [])
        self.assertEqual(pos, [[0, 1, 2]] * 3)
        self.assertEqual(delta, 0)


if __name__ == "__main__":
    unittest.main()
