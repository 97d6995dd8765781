import Hummingbird; import HummingbirdBcrypt; import Prometheus; import ThawStorage
