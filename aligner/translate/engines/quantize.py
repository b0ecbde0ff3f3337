"""Dynamic int8 quantisation of a loaded transformers model's Linear layers, for CPU inference.

Weights of every ``torch.nn.Linear`` become int8 (one scale per output row), activations are quantised on the
fly per batch, and the matmuls run in int8 (fbgemm on x86, qnnpack on ARM). Embeddings, layer norms and
attention score products stay float32. torch is imported inside the function.
"""

from __future__ import annotations

import warnings
from typing import Any

from aligner.errors import UsageError


def quantize_dynamic_int8(model: Any) -> Any:
    """Return ``model`` with its Linear layers replaced by dynamically quantised int8 ones.

    The model must be on the CPU; it is quantised in place and returned, ready for ``generate``.
    Marian ties the output projection to the embeddings; the projection is quantised as a Linear while
    the embedding keeps its float32 copy.

    Args:
        model: A loaded ``torch.nn.Module`` (for example a ``MarianMTModel``) in eval mode.

    Returns:
        The same module, quantised.

    Raises:
        UsageError: The model is not on the CPU (dynamic quantisation has no GPU kernels).
    """
    import torch

    devices = {param.device.type for param in model.parameters()}
    if devices - {"cpu"}:
        raise UsageError(
            f"int8 quantisation runs on the CPU only; the model is on {', '.join(sorted(devices))}"
        )
    engines = torch.backends.quantized.supported_engines
    if torch.backends.quantized.engine not in engines or torch.backends.quantized.engine == "none":
        torch.backends.quantized.engine = "fbgemm" if "fbgemm" in engines else "qnnpack"
    with warnings.catch_warnings():
        # torch 2.13 still ships eager dynamic quantisation but flags torch.ao.quantization for torchao.
        warnings.filterwarnings(
            "ignore", message="torch.ao.quantization is deprecated", category=DeprecationWarning
        )
        warnings.filterwarnings("ignore", message=".*quantized tensor creation", category=UserWarning)
        from torch.ao import quantization

        spec = {torch.nn.Linear: quantization.per_channel_dynamic_qconfig}
        return quantization.quantize_dynamic(model, spec, dtype=torch.qint8, inplace=True)
