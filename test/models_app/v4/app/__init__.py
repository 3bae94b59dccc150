# SQLModel test app, version 4 (test/t/120_autogen_models.pl)
