"""The semantic tier: sentence embeddings that find claims by meaning (optional).

It widens recall and gives the calibrated decision one more feature (the cosine); the party, role
and negation checks of the matcher keep the last word, since no cosine separates a paraphrase from
an actor swap. Without onnxruntime the bot runs on words alone and says so (``claimbot doctor``).
"""

from claims_db.semantic.encoder import EncoderUnavailable, ModelInfo, OnnxEncoder, load_encoder
from claims_db.semantic.index import SemanticIndex, claim_texts

__all__ = ["EncoderUnavailable", "ModelInfo", "OnnxEncoder", "SemanticIndex", "claim_texts", "load_encoder"]
