"""productops: run the product operating model from one self-hosted place."""
