# SQLModel test app, version 5 (test/t/120_autogen_models.pl)
