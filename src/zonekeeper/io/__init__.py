"""Readers and writers of the file formats Zonekeeper takes in and gives out."""
