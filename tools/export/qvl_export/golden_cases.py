"""The six golden conversations of the tiny packages (model-package.md §9): images and chat messages.

Kept here as data so a package exported anywhere gets the same cases; a unit test checks them against the
shared package's case.json files.
"""

GOLDEN_IMAGES = [
    "image1_640x480.png",
    "image2_300x1000.png",
    "image3_64x64.png",
    "image4_256x192.png",
    "image5_224x288.png",
]


def _user(*parts):
    return {"role": "user", "content": list(parts)}


def _image():
    return {"type": "image"}


def _text(text):
    return {"type": "text", "text": text}


GOLDEN_CASES = [
    {"case": "case1_image_describe", "images": ["image1_640x480.png"],
     "messages": [_user(_image(), _text("Describe this image."))]},
    {"case": "case2_tall_ocr_zh", "images": ["image2_300x1000.png"],
     "messages": [_user(_image(), _text("提取图中所有文字信息"))]},
    {"case": "case3_tiny_two_turn", "images": ["image3_64x64.png"],
     "messages": [_user(_image(), _text("What is in this picture?")),
                  {"role": "assistant", "content": "A small colorful test pattern."},
                  _user(_text("What colors does it have?"))]},
    {"case": "case4_text_only", "images": [],
     "messages": [_user(_text("Hello, who are you?"))]},
    {"case": "case5_two_images", "images": ["image1_640x480.png", "image3_64x64.png"],
     "messages": [_user(_image(), _image(), _text("Compare these two images."))]},
    {"case": "case6_exact_size", "images": ["image4_256x192.png"],
     "messages": [_user(_image(), _text("What is written on the sign?"))]},
]

GOLDEN_NEW_TOKENS = 16
