"""Image ops: the ``npx.image`` transforms, decoding (``mx.image``), and detection (multibox,
ROI pooling)."""
