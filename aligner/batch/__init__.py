"""``aligner batch``: inputs, the per-unit work, the resumable manifest, local and Ray backends."""
