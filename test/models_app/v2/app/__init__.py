# SQLModel test app, version 2 (test/t/120_autogen_models.pl)
