import json
import unittest

from support import GOLDEN_DIR
from qvl_export.golden_cases import GOLDEN_CASES, GOLDEN_IMAGES


class GoldenCaseFacts(unittest.TestCase):
    def test_golden_cases_MatchPackageCaseJson_WhenEveryCase(self):
        for case in GOLDEN_CASES:
            with self.subTest(case=case["case"]):
                meta = json.loads((GOLDEN_DIR / case["case"] / "case.json").read_text(encoding="utf-8"))
                self.assertEqual(case["messages"], meta["messages"])
                self.assertEqual(case["images"], meta["images"])

    def test_golden_images_ExistInPackage_WhenListed(self):
        for name in GOLDEN_IMAGES:
            self.assertTrue((GOLDEN_DIR / name).is_file(), name)


if __name__ == "__main__":
    unittest.main()
