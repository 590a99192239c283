CREATE TABLE "order items" ("item id" INTEGER PRIMARY KEY, "say ""hi""" TEXT NOT NULL DEFAULT 'hi', [select] INTEGER);
CREATE INDEX "ix ""odd"" name" ON "order items" ("say ""hi""");
