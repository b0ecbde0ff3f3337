"""Quotation-preserving translation: the ``Translator`` protocol and wrappers, the pipeline, the
guard, the cache and the model registry. The engines (``aligner.translate.engines``) are the only
modules that import torch, transformers, sentencepiece or ctranslate2, inside functions."""
