import unittest

from support import TINY_PACKAGE  # noqa: F401  (sets sys.path)
from qvl_export.vision_math import ImageGeometryError, smart_resize

TINY = {"factor": 32, "min_pixels": 16384, "max_pixels": 65536}


class SmartResizeFacts(unittest.TestCase):
    def test_smart_resize_MatchesGoldenGrids_WhenTinyPixelBudget(self):
        # (h, w) of the golden PNGs -> grid (gh, gw) recorded in their case.json (patch = 16).
        expected = {(480, 640): (12, 18), (1000, 300): (28, 8), (64, 64): (8, 8), (192, 256): (12, 16)}
        for (h, w), (gh, gw) in expected.items():
            with self.subTest(size=(h, w)):
                self.assertEqual(smart_resize(h, w, **TINY), (gh * 16, gw * 16))

    def test_smart_resize_KeepsSize_WhenSidesAreMultiplesInsideBudget(self):
        self.assertEqual(smart_resize(288, 224, **TINY), (288, 224))

    def test_smart_resize_RoundsHalfToEven_WhenSideIsOddMultipleOfHalfFactor(self):
        # 48/32 = 1.5 -> 2 (even), 80/32 = 2.5 -> 2 (even): Python round(), like the reference.
        self.assertEqual(smart_resize(48, 80, factor=32, min_pixels=1, max_pixels=10 ** 9), (64, 64))

    def test_smart_resize_ShrinksBelowMaxPixels_WhenImageIsLarge(self):
        h, w = smart_resize(8000, 6000)
        self.assertLessEqual(h * w, 16777216)
        self.assertEqual((h % 32, w % 32), (0, 0))
        self.assertEqual((h, w), (4704, 3520))

    def test_smart_resize_GrowsAboveMinPixels_WhenImageIsTiny(self):
        h, w = smart_resize(10, 20)
        self.assertGreaterEqual(h * w, 65536)
        self.assertEqual((h, w), (192, 384))

    def test_smart_resize_Raises_WhenAspectRatioAbove200(self):
        with self.assertRaises(ImageGeometryError):
            smart_resize(10, 2010)

    def test_smart_resize_Raises_WhenSizeIsZero(self):
        with self.assertRaises(ImageGeometryError):
            smart_resize(0, 100)


if __name__ == "__main__":
    unittest.main()
