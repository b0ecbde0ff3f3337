"""The MarianMT engines: transformers (``marian``, with ``hub`` loading and ``quantize``), its worker
pool (``pool``) and CTranslate2 (``ct2``). Heavy libraries are imported inside functions only."""
