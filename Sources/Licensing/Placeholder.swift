// Licensing
