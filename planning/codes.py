"""SSDA903 placement types (DfE looked-after children return, placement codes), the subset an
authority's own staff record; paraphrased labels."""

from django.db import models


class PlacementType(models.TextChoices):
    U1 = "U1", "Foster placement with a relative or friend: long-term fostering"
    U2 = "U2", "Foster placement with a relative or friend who is also an approved adopter"
    U3 = "U3", "Foster placement with a relative or friend: not long-term"
    U4 = "U4", "Foster placement with another foster carer: long-term fostering"
    U5 = "U5", "Foster placement with another foster carer who is also an approved adopter"
    U6 = "U6", "Foster placement with another foster carer: not long-term"
    A5 = "A5", "Placed for adoption with a placement order, not with a current foster carer"
    A6 = "A6", "Placed for adoption with a placement order, with a current foster carer"
    K1 = "K1", "Secure children's home"
    K2 = "K2", "Children's home"
    P1 = "P1", "Placed with own parents or another person with parental responsibility"
    P2 = "P2", "Independent living, such as a flat or lodgings"
    R1 = "R1", "Residential care home"
    R3 = "R3", "Family centre or mother and baby unit"
    S1 = "S1", "Residential school"
    Z1 = "Z1", "Other placement"
