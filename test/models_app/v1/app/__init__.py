# SQLModel test app, version 1 (test/t/120_autogen_models.pl)
