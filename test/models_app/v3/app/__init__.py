# SQLModel test app, version 3 (test/t/120_autogen_models.pl)
