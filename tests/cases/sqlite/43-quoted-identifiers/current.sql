CREATE TABLE "order items" ("item id" INTEGER PRIMARY KEY, "say ""hi""" TEXT);
