"""Models in two schemas (test/t/121_autogen_model_schemas.pl)."""
