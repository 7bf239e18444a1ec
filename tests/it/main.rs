mod photos;
