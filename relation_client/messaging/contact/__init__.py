"""The public contact form (/contact/): no login, French or English; what a visitor sends
is stored as a message received and filed like a mail (messaging.inbound), and an e-mail
address given gets the acknowledgement with the request's reference and deadline."""
