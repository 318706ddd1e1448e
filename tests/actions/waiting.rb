# Shared by the Ruby action tests: waiting with a deadline (the block is polled).
def wait_for(what, timeout = 30)
  deadline = Time.now + timeout
  until yield
    raise "timed out waiting for #{what}" if Time.now > deadline
    sleep 0.005
  end
end
